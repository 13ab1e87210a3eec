"""Scope walker parameters of the programme app (issue 12): a programme, a reported target, an
action item, a figure and models in each tree. The committee's programme is read by the secretaries
under it (their figures report to it); figures and models only inside the user's subtree."""

from datetime import date
from decimal import Decimal

from dangbo.programme import services
from dangbo.programme.models import Target


def provide(world, congresses, role, seen_orgs, seen_members):
    w = world
    programmes, targets, items, figures, models = {}, {}, {}, {}, {}
    for top, cells in ((w.root, (w.a1, w.b)), (w.other, (w.x1,))):
        p = services.programme_create(actor=None, organization=top, term="2025–2030", title=f"Nghị quyết {top.code}")
        t = services.target_save(actor=None, programme=p, data={"code": "CT1", "title": f"Chỉ tiêu {top.code}",
                                                                "unit": "%", "source": Target.REPORTED})
        task = services.task_add(actor=None, programme=p, code="NV1", title=f"Nhiệm vụ {top.code}")
        item = services.item_add(actor=None, task=task, year=2026, title=f"Việc {top.code}", owner="Văn phòng",
                                 deadline=date(2026, 6, 1))
        programmes[p.id], targets[t.id], items[item.id] = top, top, top
        for cell in cells:
            f = services.figure_report(actor=None, target=t, organization=cell, year=2026, value=Decimal(100),
                                       evidence_number="01-BC")
            m = services.model_save(actor=None, organization=cell, data={
                "kind": "hcm_study", "title": f"Mô hình {cell.code}", "start_year": 2025})
            figures[f.id], models[m.id] = cell, cell
    staff = role in ("office", "secretary", "outsider")

    def reads_programme(top):
        # a programme is read by staff of its organisation's tree (the committee's by its secretaries)
        return staff and any(o == top or o.path.startswith(top.path) for o in seen_orgs)

    ids = {"programme_id": [*programmes, 987654], "target_id": [*targets, 987654], "item_id": [*items, 987654],
           "figure_id": [*figures, 987654], "model_id": [*models, 987654]}
    visible = {"programme_id": {i for i, top in programmes.items() if reads_programme(top)},
               "target_id": {i for i, top in targets.items() if reads_programme(top)},
               "item_id": {i for i, top in items.items() if reads_programme(top)},
               "figure_id": {i for i, o in figures.items() if staff and o in seen_orgs},
               "model_id": {i for i, o in models.items() if staff and o in seen_orgs}}
    return ids, visible
