body: x
# a page geometry the rule file does not define: named at load, nothing rendered
@section sideways
body: y
