//! Calls and creates: a second frame, refused until the call machinery (frames, snapshots,
//! return data views) lands.

use revm::bytecode::opcode::*;

use super::Support;

const FRAMES: Support = Support::Refused("opens a call frame; nested frames are not supported yet");

pub(super) const OPCODES: &[(u8, Support)] = &[
    (CREATE, FRAMES),
    (CALL, FRAMES),
    (CALLCODE, FRAMES),
    (DELEGATECALL, FRAMES),
    (CREATE2, FRAMES),
    (STATICCALL, FRAMES),
];
