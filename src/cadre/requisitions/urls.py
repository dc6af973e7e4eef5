from django.urls import path

from cadre.requisitions import profile_views, views

urlpatterns = [
    path("requisitions/", views.requisition_list, name="requisition-list"),
    path("requisitions/new/", views.requisition_create, name="requisition-create"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/edit/", views.requisition_edit, name="requisition-edit"),
    path("requisitions/profile/draft/", profile_views.profile_draft, name="requisition-profile-draft"),
    path(
        "requisitions/<int:pk>/profile/review-request/",
        profile_views.profile_request_review,
        name="requisition-profile-review-request",
    ),
    path(
        "requisitions/<int:pk>/profile/review/",
        profile_views.profile_review,
        name="requisition-profile-review",
    ),
    path(
        "requisitions/<int:pk>/profile/start-sourcing/",
        profile_views.profile_start_sourcing,
        name="requisition-profile-start-sourcing",
    ),
]
