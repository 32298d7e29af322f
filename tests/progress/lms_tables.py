"""Stand-ins of the LMS tables the cohort reads, installed in `sys.modules` where the adapter
imports them (openedx-platform: `common/djangoapps/student/models`, `.../student/roles.py`,
`lms/djangoapps/courseware/models.py`). Written from their public interfaces, none of it copied.

Accounts are the real `auth.User` rows of the test database, so the enrolment list is a real
queryset and costs real queries; enrolments, roles, profile names and `StudentModule` grades are
kept on the host. `StudentModule` counts its reads (`reads`): it is one query in the LMS.
"""
import hashlib
import sys
import types

from django.contrib.auth import get_user_model


class Enrolments:
    """`CourseEnrollment.objects`: `users_enrolled_in(course_key)` is the LMS's User queryset of
    active enrolments (`courseenrollment__is_active=True`)."""

    def __init__(self, host):
        self.host = host
        self.objects = self

    def users_enrolled_in(self, course_key, include_inactive=False):
        assert str(course_key) == str(self.host.course_key)
        ids = [user_id for user_id, active in self.host.enrolments.items() if active or include_inactive]
        return get_user_model().objects.filter(id__in=ids)


class Profiles:
    """`UserProfile.objects` (`user`, `name`): one query over the users asked for."""

    def __init__(self, host):
        self.host = host
        self.objects = self

    def filter(self, user_id__in):
        ids = list(user_id__in.values_list("id", flat=True)) if hasattr(user_id__in, "values_list") else user_id__in
        names = self.host.profile_names
        return types.SimpleNamespace(values_list=lambda *fields: [(i, names[i]) for i in ids if i in names])


def role(host, name, course_role=True):
    """A `CourseRole`/`OrgRole` subclass: `users_with_role()` is a User queryset (CourseAccessRole rows)."""

    class Role:
        ROLE = name

        def __init__(self, key):
            self.key = key

        def users_with_role(self):
            scope = str(self.key) if course_role else f"org:{self.key}"
            return get_user_model().objects.filter(id__in=[user_id for role_name, where, user_id in host.roles
                                                           if role_name == name and where == scope])

    Role.__name__ = name.title()
    return Role


class StudentModuleTable:
    """`courseware.models.StudentModule` as a cohort read uses it: one filter over a page of
    learners and problems, `values_list(module_state_key, student_id, grade, max_grade)`."""

    def __init__(self, host):
        self.host = host
        self.objects = self
        self.reads = 0

    def filter(self, course_id, module_state_key__in, student_id__in):
        assert str(course_id) == str(self.host.course_key)
        wanted, users = {str(key) for key in module_state_key__in}, set(student_id__in)
        rows = [(key, user_id, grade, max_grade) for (user_id, key), (grade, max_grade) in self.host.student_module.items()
                if key in wanted and user_id in users]

        def values_list(*fields):
            assert fields == ("module_state_key", "student_id", "grade", "max_grade")
            self.reads += 1
            return rows

        return types.SimpleNamespace(values_list=values_list)


def anonymous_id_for_user(user, course_id):
    """`student.models.anonymous_id_for_user`: the id the host's user service gives (services.Person)."""
    return hashlib.md5(f"host-secret|{course_id}|{user.id}".encode()).hexdigest()


def install(host, monkeypatch):
    """Put the stand-ins where the adapter imports them; the host gets `enrolments` {user id:
    active}, `roles` {(role, course key text or "org:<org>", user id)}, `profile_names` and
    `student_module_table`."""
    host.enrolments, host.roles, host.profile_names = {}, set(), {}
    models = types.ModuleType("common.djangoapps.student.models")
    models.CourseEnrollment, models.UserProfile = Enrolments(host), Profiles(host)
    models.anonymous_id_for_user = anonymous_id_for_user
    roles = types.ModuleType("common.djangoapps.student.roles")
    roles.CourseStaffRole, roles.CourseInstructorRole = role(host, "staff"), role(host, "instructor")
    roles.CourseLimitedStaffRole = role(host, "limited_staff")
    roles.OrgStaffRole, roles.OrgInstructorRole = role(host, "staff", False), role(host, "instructor", False)
    student = types.ModuleType("common.djangoapps.student")
    student.models, student.roles = models, roles
    courseware = types.ModuleType("lms.djangoapps.courseware.models")
    host.student_module_table = courseware.StudentModule = StudentModuleTable(host)
    modules = {"common": types.ModuleType("common"), "common.djangoapps": types.ModuleType("common.djangoapps"),
               "common.djangoapps.student": student, models.__name__: models, roles.__name__: roles,
               "lms.djangoapps.courseware": types.ModuleType("lms.djangoapps.courseware"),
               courseware.__name__: courseware}
    for name in ("lms", "lms.djangoapps"):
        if name not in sys.modules:
            modules[name] = types.ModuleType(name)
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)

    def uninstall():
        """The platform without enrolments (the demo's case)."""
        for name in (models.__name__, roles.__name__):
            monkeypatch.delitem(sys.modules, name)

    host.without_enrolments = uninstall

