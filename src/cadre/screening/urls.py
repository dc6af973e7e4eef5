"""Screening pages: the recruiter side under /screening/ and /applications/<id>/sittings/, the candidate
portal under /take/<signed link>/."""

from __future__ import annotations

from django.urls import path

from cadre.screening import interview_views, portal_views, views

urlpatterns = [
    path("screening/", views.home, name="screening-home"),
    path("screening/questions/", views.question_list, name="screening-questions"),
    path("screening/questions/new/", views.question_create, name="screening-question-create"),
    path("screening/questions/<int:pk>/", views.question_detail, name="screening-question-detail"),
    path("screening/questions/<int:pk>/edit/", views.question_edit, name="screening-question-edit"),
    path("screening/questions/<int:pk>/status/", views.question_status, name="screening-question-status"),
    path("screening/questions/<int:pk>/file/", views.question_file, name="screening-question-file"),
    path("screening/assessments/", views.assessment_list, name="screening-assessments"),
    path("screening/assessments/<int:pk>/", views.assessment_detail, name="screening-assessment-detail"),
    path("screening/sittings/<int:pk>/", views.sitting_detail, name="screening-sitting-detail"),
    path(
        "applications/<int:pk>/sittings/", views.application_sittings, name="screening-application-sittings"
    ),
    path("take/<str:token>/", portal_views.take, name="screening-take"),
    path("take/<str:token>/start/", portal_views.take_start, name="screening-take-start"),
    path("take/<str:token>/answers/", portal_views.take_answers, name="screening-take-answers"),
    path(
        "take/<str:token>/items/<int:item_id>/upload/", portal_views.take_upload, name="screening-take-upload"
    ),
    path("take/<str:token>/items/<int:item_id>/file/", portal_views.take_file, name="screening-take-file"),
    *interview_views.urlpatterns,
]
