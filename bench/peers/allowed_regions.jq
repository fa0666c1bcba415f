# The allowed-regions rule for jq: resource changes whose planned region is outside the list.
[.resource_changes[]? | .change.after.region? | strings
 | select(IN("eu-west-1", "eu-central-1") | not)] | length
