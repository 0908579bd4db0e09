"""Each chapter's domain logic: the numbers, frames and sentences a chapter shows."""
