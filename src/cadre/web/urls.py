from django.urls import include, path

from cadre.web import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("", include("cadre.requisitions.urls")),
    path("", include("cadre.people.urls")),
    path("", include("cadre.clients.urls")),
    path("", include("cadre.pipeline.urls")),
    path("", include("cadre.resolution.urls")),
    path("", include("cadre.sourcing.urls")),
    path("", include("cadre.matching.urls")),
    path("", include("cadre.compliance.urls")),
    path("", include("cadre.placements.urls")),
    path("", include("cadre.screening.urls")),
]
