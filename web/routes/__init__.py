"""The panel's pages."""

from web.routes import admin, auth, community

ROUTERS = (auth.router, community.router, admin.router)
