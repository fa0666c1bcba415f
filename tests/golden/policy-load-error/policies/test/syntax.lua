-- Golden-test policy with a syntax error on line 3.
return {
  title = "broken" "table",
  severity = "low",
}
