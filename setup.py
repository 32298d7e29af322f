"""Packaging for blended-xblocks.

`static/` and `translations/` sit at the top of the repository (the design card), and are shipped
inside the wheel as `blended_xblocks/static` and `blended_xblocks/translations`, which is where
`blended_xblocks.core.resources` looks for them once installed.

The demo (`blended_xblocks/demo`: the workbench host, its people and scenarios) runs from the
repository (`make demo`, an editable install) and is not shipped: an LMS gets the blocks only.
"""
import os
import re

from setuptools import find_packages, setup


def read_version():
    with open(os.path.join("blended_xblocks", "__init__.py"), encoding="utf-8") as init:
        return re.search(r'__version__ = "([^"]+)"', init.read()).group(1)


def read_requirements(name):
    with open(os.path.join("requirements", name), encoding="utf-8") as reqs:
        return [line.split("#")[0].strip() for line in reqs if line.split("#")[0].strip()
                and not line.startswith("-")]


# Entry-point name = OLX tag.
BLOCKS = {
    "blended_supervisor_agreement": "blended_xblocks.supervisor_agreement.block:SupervisorAgreementBlock",
    "blended_webinar": "blended_xblocks.webinar.block:WebinarBlock",
    "blended_group_assignment": "blended_xblocks.group_assignment.block:GroupAssignmentBlock",
    "blended_experience_sharing": "blended_xblocks.experience_sharing.block:ExperienceSharingBlock",
    "blended_progress": "blended_xblocks.progress.block:ProgressBlock",
    "blended_application": "blended_xblocks.application.block:ApplicationBlock",
}

setup(
    name="blended-xblocks",
    version=read_version(),
    description="Open edX XBlocks for blended programmes: live sessions, group work, "
                "supervisor agreements, experience sharing and programme progress.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=[
        *find_packages(include=["blended_xblocks", "blended_xblocks.*"],
                       exclude=["blended_xblocks.demo", "blended_xblocks.demo.*"]),
        "blended_xblocks.static",
        "blended_xblocks.translations",
    ],
    package_dir={
        "blended_xblocks.static": "static",
        "blended_xblocks.translations": "translations",
    },
    package_data={
        "blended_xblocks": ["templates/**/*"],
        "blended_xblocks.static": ["**/*"],
        "blended_xblocks.translations": ["**/*"],
    },
    include_package_data=False,
    install_requires=read_requirements("base.in"),
    entry_points={
        "xblock.v1": [f"{tag} = {target}" for tag, target in sorted(BLOCKS.items())],
        "lms.djangoapp": ["blended_xblocks = blended_xblocks.apps:BlendedXBlocksConfig"],
        "cms.djangoapp": ["blended_xblocks = blended_xblocks.apps:BlendedXBlocksConfig"],
    },
    classifiers=[
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
