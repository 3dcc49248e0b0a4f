body: {{resolution.subjct}}
