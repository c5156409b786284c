"""The panel's pages."""

from web.routes import (
    admin,
    analytics,
    audit,
    auth,
    community,
    members,
    roles,
    seasons,
    settings,
    shop,
    threads_sign_in,
    x_sign_in,
)

ROUTERS = (
    auth.router,
    community.router,
    admin.router,
    analytics.router,
    members.router,
    audit.router,
    settings.router,
    x_sign_in.router,
    threads_sign_in.router,
    seasons.router,
    shop.router,
    roles.router,
)
