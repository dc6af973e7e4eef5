from cadre.pipeline.selectors import applications_visible_to


def test_hiring_manager_sees_only_own_client(tenant_a, tenant_b):
    visible = list(applications_visible_to(tenant_a.hiring_manager))
    assert visible == [tenant_a.application]
