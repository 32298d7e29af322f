"""Whether a learner meets each requirement, can still meet it, and the programme as a whole."""
from blended_xblocks.progress import evaluation
from blended_xblocks.progress.evaluation import Outcome
from blended_xblocks.progress.requirements import BlockRef, build_requirement

WEBINARS = [BlockRef("blended_webinar", f"w{n}") for n in range(1, 11)]
ALL_WEBINARS = " ".join(str(ref) for ref in WEBINARS)


def keyed(requirements, outcomes):
    """Outcomes by (kind, block), as the programme reads them (here each block has one kind)."""
    kinds = {ref: requirement.kind for requirement in requirements for ref in requirement.blocks}
    return {(kinds[ref], ref): outcome for ref, outcome in outcomes.items() if ref in kinds}


def evaluate_requirement(requirement, outcomes, present):
    return evaluation.evaluate_requirement(requirement, keyed([requirement], outcomes), present)


def evaluate_programme(requirements, outcomes, present):
    return evaluation.evaluate_programme(requirements, keyed(requirements, outcomes), present)


def evaluate_cohort(requirements, by_learner, present):
    return evaluation.evaluate_cohort(requirements, {learner: keyed(requirements, outcomes)
                                                     for learner, outcomes in by_learner.items()}, present)


def attendance(min_=8, excused=False):
    return build_requirement({"id": "webinars", "kind": "attendance", "blocks": ALL_WEBINARS, "min": str(min_),
                              "excused": "true" if excused else ""})


def test_three_of_eight_webinars_attended_is_progress_not_a_pass():
    outcomes = {ref: Outcome(status="present", still_open=False) for ref in WEBINARS[:3]}
    status = evaluate_requirement(attendance(), outcomes, set(WEBINARS))
    assert (status.done, status.needed, status.met, status.at_risk) == (3, 8, False, False)
    assert status.blocks_left == tuple(WEBINARS[3:])


def test_late_counts_as_attended_and_excused_only_where_the_author_says_so():
    outcomes = {WEBINARS[0]: Outcome(status="late"), WEBINARS[1]: Outcome(status="excused")}
    assert evaluate_requirement(attendance(), outcomes, set(WEBINARS)).done == 1
    assert evaluate_requirement(attendance(excused=True), outcomes, set(WEBINARS)).done == 2


def test_too_few_sessions_left_to_reach_min_puts_the_learner_at_risk():
    past = {ref: Outcome(status="absent", still_open=False) for ref in WEBINARS[:3]}
    status = evaluate_requirement(attendance(), past, set(WEBINARS))
    assert status.at_risk and not status.met  # 7 sessions left, 8 needed
    two_missed = {ref: Outcome(status="absent", still_open=False) for ref in WEBINARS[:2]}
    assert not evaluate_requirement(attendance(), two_missed, set(WEBINARS)).at_risk


def test_k_of_n_optional_modules():
    modules = [BlockRef("sequential", f"m{n}") for n in range(1, 6)]
    optional = build_requirement({"id": "optional", "kind": "completion",
                                  "blocks": " ".join(map(str, modules)), "min": "2"})
    one = {modules[0]: Outcome(completion=1.0), modules[1]: Outcome(completion=0.9)}
    assert not evaluate_requirement(optional, one, set(modules)).met
    two = {**one, modules[4]: Outcome(completion=1.0)}
    assert evaluate_requirement(optional, two, set(modules)).met


def test_scores_need_the_share_and_an_unscored_test_does_not_count():
    test = BlockRef("sequential", "final-test")
    requirement = build_requirement({"id": "course", "kind": "score", "blocks": str(test), "min_score": "0.7"})
    assert not evaluate_requirement(requirement, {}, {test}).met
    assert not evaluate_requirement(requirement, {test: Outcome(share=0.69)}, {test}).met
    assert evaluate_requirement(requirement, {test: Outcome(share=0.7)}, {test}).met
    any_score = build_requirement({"id": "tried", "kind": "score", "blocks": str(test)})
    assert evaluate_requirement(any_score, {test: Outcome(share=0.0)}, {test}).met


def test_an_assignment_counts_once_graded_and_released_with_the_minimum_share():
    work = BlockRef("blended_group_assignment", "a1")
    requirement = build_requirement({"id": "a", "kind": "assignment", "blocks": str(work), "min_score": "0.5"})
    assert not evaluate_requirement(requirement, {work: Outcome(status="graded", share=0.9)}, {work}).met
    assert not evaluate_requirement(requirement, {work: Outcome(status="released", share=0.4)}, {work}).met
    assert evaluate_requirement(requirement, {work: Outcome(status="released", share=0.5)}, {work}).met


def test_approval_and_participation():
    agreement = BlockRef("blended_supervisor_agreement", "agreement")
    sharing = BlockRef("blended_experience_sharing", "s1")
    approval = build_requirement({"id": "sup", "kind": "approval", "blocks": str(agreement)})
    participation = build_requirement({"id": "share", "kind": "participation", "blocks": str(sharing)})
    assert not evaluate_requirement(approval, {agreement: Outcome(status="pending")}, {agreement}).met
    assert evaluate_requirement(approval, {agreement: Outcome(status="approved")}, {agreement}).met
    declined = evaluate_requirement(approval, {agreement: Outcome(status="declined", still_open=False)}, {agreement})
    assert declined.at_risk
    assert evaluate_requirement(participation, {sharing: Outcome(completion=1.0)}, {sharing}).met


def test_a_deleted_block_does_not_hold_learners_back_and_is_reported_missing():
    requirement = attendance(min_=10)
    present = set(WEBINARS[:9])
    outcomes = {ref: Outcome(status="present") for ref in WEBINARS[:9]}
    status = evaluate_requirement(requirement, outcomes, present)
    assert status.met and status.needed == 9
    assert status.missing_blocks == (WEBINARS[9],)


def test_the_programme_is_met_only_when_every_requirement_is_and_progress_is_shared_evenly():
    agreement = BlockRef("blended_supervisor_agreement", "agreement")
    approval = build_requirement({"id": "sup", "kind": "approval", "blocks": str(agreement)})
    requirements = [attendance(min_=2), approval]
    present = set(WEBINARS) | {agreement}
    halfway = evaluate_programme(requirements, {WEBINARS[0]: Outcome(status="present")}, present)
    assert not halfway.met and halfway.share_done == 0.25
    done = evaluate_programme(requirements, {WEBINARS[0]: Outcome(status="present"), WEBINARS[1]: Outcome(status="late"),
                                             agreement: Outcome(status="approved")}, present)
    assert done.met and done.share_done == 1.0
    assert [status.to_json() for status in done.requirements][1] == {"met": True, "done": 1, "needed": 1, "at_risk": False}


def test_a_cohort_is_evaluated_learner_by_learner_from_outcomes_read_beforehand():
    requirements = [attendance(min_=1)]
    cohort = evaluate_cohort(requirements, {7: {WEBINARS[0]: Outcome(status="present")}, 8: {}}, set(WEBINARS))
    assert cohort[7].met and not cohort[8].met


def test_a_passed_deadline_or_a_missed_session_puts_the_learner_at_risk_only_when_min_cannot_be_reached():
    """An outcome that can no longer come (`still_open=False`: the deadline passed without a submission, the
    sharing's required session is over without the learner) counts against what is still possible."""
    works = [BlockRef("blended_group_assignment", f"a{n}") for n in range(1, 7)]
    six = build_requirement({"id": "a", "kind": "assignment", "blocks": " ".join(map(str, works)), "min": "5"})
    one_closed = {works[0]: Outcome(status="not_started", still_open=False)}
    assert not evaluate_requirement(six, one_closed, set(works)).at_risk  # 5 of the 5 others can still come
    two_closed = {**one_closed, works[1]: Outcome(status="not_started", still_open=False)}
    status = evaluate_requirement(six, two_closed, set(works))
    assert status.at_risk and not status.met and status.blocks_left == tuple(works)
    sharing = BlockRef("blended_experience_sharing", "s1")
    participation = build_requirement({"id": "share", "kind": "participation", "blocks": str(sharing)})
    assert not evaluate_requirement(participation, {sharing: Outcome(completion=0.0)}, {sharing}).at_risk
    assert evaluate_requirement(participation, {sharing: Outcome(completion=0.0, still_open=False)}, {sharing}).at_risk
