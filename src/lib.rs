//! gavel: fraud-proof dispute game engine for EVM rollups.
