-- Lua tests of egress/ai-public-endpoint: Foundry and Vertex AI endpoints, values unknown
-- until apply, and Bedrock from VPC-attached ECS tasks.
local ID = "egress/ai-public-endpoint"

local function one(rtype, values, opts)
  return plan{ resources = { tf_resource(rtype, "x", values, opts) } }
end

local MODEL = "anthropic.claude-3-haiku-20240307-v1:0"

local function task(network_mode, model)
  return tf_resource("aws_ecs_task_definition", "t", { family = "t", network_mode = network_mode,
    container_definitions = '[{"name":"app","image":"app:1","environment":[{"name":"MODEL_ID","value":"'
      .. model .. '"}]}]' })
end

return {
  cognitive_account_access_unknown = function()
    run(ID, one("azurerm_cognitive_account", { name = "oai", kind = "OpenAI", location = "westeurope" },
                { unknown = { public_network_access_enabled = true } }))
    expect_unknown{ resource = "azurerm_cognitive_account.x", message = "unknown until apply" }
  end,

  foundry_public_by_default = function()
    run(ID, one("azurerm_ai_foundry", { name = "f", location = "westeurope" }))
    expect_finding{ severity = "high", message = "not set \\(defaults to Enabled\\)" }
  end,

  foundry_enabled_and_unknown = function()
    run(ID, plan{ resources = {
      tf_resource("azurerm_ai_foundry", "a", { name = "a", public_network_access = "Enabled" }),
      tf_resource("azurerm_ai_foundry", "b", { name = "b" }, { unknown = { public_network_access = true } }),
      tf_resource("azurerm_ai_foundry", "c", { name = "c", public_network_access = "Disabled" }),
    } })
    expect_finding{ resource = "azurerm_ai_foundry.a", message = "public_network_access is Enabled$" }
    expect_unknown{ resource = "azurerm_ai_foundry.b" }
    expect_count(2)
  end,

  vertex_endpoint_public = function()
    run(ID, one("google_vertex_ai_endpoint", { name = "e", display_name = "e", location = "europe-west4" }))
    expect_finding{ message = "served on the public endpoint" }
  end,

  vertex_endpoint_private = function()
    run(ID, plan{ resources = {
      tf_resource("google_vertex_ai_endpoint", "psc", { name = "p", location = "europe-west4",
        private_service_connect_config = { { enable_private_service_connect = true } } }),
      tf_resource("google_vertex_ai_endpoint", "peered", { name = "q", location = "europe-west4",
        network = "projects/1/global/networks/ai" }),
    } })
    expect_none()
  end,

  ecs_awsvpc_task_uses_bedrock = function()
    run(ID, plan{ resources = { task("awsvpc", MODEL) }, provider_region = "eu-west-1" })
    expect_finding{ resource = "aws_ecs_task_definition.t", message = "uses Bedrock .* from a VPC" }
  end,

  ecs_bridge_task_and_no_bedrock_pass = function()
    run(ID, plan{ resources = { task("bridge", MODEL), tf_resource("aws_lambda_function", "l", {
      function_name = "l", environment = { { variables = { MODEL_ID = "gpt-4o" } } },
      vpc_config = { { subnet_ids = { "subnet-1" } } } }) }, provider_region = "eu-west-1" })
    expect_none()
  end,

  endpoint_name_unknown = function()
    run(ID, plan{ resources = { task("awsvpc", MODEL),
      tf_resource("aws_vpc_endpoint", "e", { vpc_endpoint_type = "Interface" },
                  { unknown = { service_name = true } }) }, provider_region = "eu-west-1" })
    expect_unknown{ message = "an endpoint's service_name is unknown" }
  end,
}
