from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "cadre.screening"
    label = "screening"
    verbose_name = "Screening: competencies, assessments, graded tasks, interviews, scorecards"
