"""The openedx-filters step that holds back the platform's certificate until the programme is met.

Configured by the operator (docs/operators.md) for `CertificateCreationRequested` with
`"fail_silently": False`, so that an unexpected error in the step blocks rather than lets a
certificate through. A course without a progress block is not affected.
"""
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CertificateCreationRequested

FILTER_TYPE = CertificateCreationRequested.filter_type
STEP_PATH = "blended_xblocks.progress.certificate_gate.ProgrammeCertificateGate"


class ProgrammeCertificateGate(PipelineStep):
    """Raise `PreventCertificateCreation` while the learner has not met every programme of the course."""

    def run_filter(self, user, course_key, mode, status, grade, generation_mode):  # noqa: PLR0913 (the filter's signature)
        from blended_xblocks.platform.adapter import outcome_reader
        from blended_xblocks.progress.programme import meets_course_programmes

        verdict = meets_course_programmes(str(course_key), user.id, outcome_reader())
        if verdict is False:
            raise CertificateCreationRequested.PreventCertificateCreation(
                "The learner has not met every requirement of the programme yet.")
        return {}  # an empty dict lets the next steps run with the arguments unchanged
