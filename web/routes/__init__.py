"""The panel's pages."""

from web.routes import admin, audit, auth, community, members, settings, x_sign_in

ROUTERS = (auth.router, community.router, admin.router, members.router, audit.router, settings.router, x_sign_in.router)
