"""The server's web pages: live score display, proctor console, public transparency pages.

``router`` serves the pages; ``static_files()`` is the ASGI app for their CSS,
JS and images, mounted at ``/static``. See docs/web.md.
"""

from cbt_server.web.routes import CONTENT_SECURITY_POLICY, router, static_files

__all__ = ["CONTENT_SECURITY_POLICY", "router", "static_files"]
