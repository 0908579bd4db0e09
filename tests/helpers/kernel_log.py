"""What a kernel prints to its stderr, which a run's log shows, when it listens on TCP without encryption."""

TCP_WARNING = "running over TCP without encryption"
