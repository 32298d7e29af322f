"""All models of the blended_xblocks app; one module per block, plus the shared `Learner`.

Outcome tables are keyed by (course_key, usage_key) and point at `Learner`, so the programme
view can read every learner's outcomes for a whole course in a handful of queries.
"""
from .application import Application, ApplicationCall, ApplicationFile, ApplicationReview  # noqa: F401
from .experience_sharing import SharedFlag, SharedPost, SharedReaction, SharedReply, SharingParticipation  # noqa: F401
from .group_assignment import (  # noqa: F401
    AssignmentGroup,
    GroupMembership,
    GroupSubmission,
    SeedPlacement,
    SubmissionEvent,
    SubmissionFile,
    SubmissionMember,
)
from .learner import Learner  # noqa: F401
from .progress import ProgrammeCertificate, ProgrammeDefinition  # noqa: F401
from .published import PublishedSettings  # noqa: F401
from .supervisor_agreement import AgreementEvent, SupervisorAgreement, SupervisorRequest  # noqa: F401
from .webinar import WebinarRegistration, WebinarSession  # noqa: F401
