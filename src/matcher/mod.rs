//! Brand matching. STUB: the matcher helper implements it.

/// Checks a brand's boolean `query` when the config is loaded.
pub fn validate_query(_query: &str) -> Result<(), String> {
    Ok(())
}
