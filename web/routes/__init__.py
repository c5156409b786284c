"""The panel's pages."""

from web.routes import admin, audit, auth, community, members, settings

ROUTERS = (auth.router, community.router, admin.router, members.router, audit.router, settings.router)
