"""The web app's views: ``public`` (anyone), ``actions`` and ``account`` (signed in),
``feeds`` (RSS and Atom), ``errors`` (404 and 500 pages)."""
