"""Where each dialect lives: the one place that names the URL prefixes.

No imports, so the settings (CORS) can read it as well as the URLs, the dialect registry
(``adn_api.dialects``) and the OpenAPI schema.
"""

ADN = "stream/0/"
PNUT = "v1/"
DIASPORA = "api/v1/"
ALL = {"adn": ADN, "pnut": PNUT, "diaspora": DIASPORA}
