//! The demo web's content. STUB: filled in by the demo helper.
