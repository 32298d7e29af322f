"""Names for the demo's learners (the IOM training's 20 practitioners, invented)."""

PEOPLE = {
    "amina": "Amina Diallo",
    "yusuf": "Yusuf Abdi",
    "fatou": "Fatou Ndiaye",
    "omar": "Omar Haddad",
    "leila": "Leila Mansour",
    "kwame": "Kwame Mensah",
    "sara": "Sara Tesfaye",
    "ibrahim": "Ibrahim Sow",
    "instructor": "Joy Paone (instructor)",
    "staff": "Sophie Crozet (staff)",
}


def full_name(student_id: str) -> str:
    return PEOPLE.get(student_id, student_id.replace("_", " ").title())
