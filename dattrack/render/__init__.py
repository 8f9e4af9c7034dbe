"""All output in one place: tables for people, JSON and CSV for programs, charts for history."""
