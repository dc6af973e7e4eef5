"""Compliance pages; each area keeps its own views module and url patterns."""

from __future__ import annotations

from cadre.compliance import classification_views, gate_views, monitoring_views, privacy_views

urlpatterns = [
    *classification_views.urlpatterns,
    *gate_views.urlpatterns,
    *monitoring_views.urlpatterns,
    *privacy_views.urlpatterns,
]
