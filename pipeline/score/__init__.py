"""Score: rules per question, categories, completeness, recommendations, the Results of a run."""
