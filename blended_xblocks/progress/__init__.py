"""Programme progress: requirements over the course's blocks, evaluated per learner and cohort,
and the gate that holds the platform's certificate until they are met."""
