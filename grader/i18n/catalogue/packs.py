"""Messages: student packs (grader release, grader check with a pack)."""

MESSAGES: dict[str, dict[str, str]] = {
    "pack.instructor_checks": {
        "en": "Checks your instructor grades later: {count}, worth {points} of the course's {total} points.",
        "es": "Comprobaciones que tu profesor calificará después: {count}, por {points} de los {total} puntos del curso.",
    },
}
