@if resolution.bases
body: {{resolution.subject}}
