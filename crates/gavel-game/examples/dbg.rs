use gavel_game::Strategy;
use gavel_game::sim::{SimParams, Simulation};
fn main() {
    for seed in 0..40u64 {
        let len = 1 + (seed * 97) % 1024;
        let params = SimParams::toy(
            seed,
            len,
            seed % 2 == 0,
            (seed * 31) % len.min(1023),
            vec![Strategy::Random, Strategy::ConsistentLiar],
        );
        let mut sim = Simulation::new(&params).unwrap();
        sim.run().unwrap();
        for e in sim.log() {
            if let Err(n) = &e.result {
                if n == "IncorrectBondAmount" {
                    println!("{:?} claims={}", e.action, sim.state().claims().len());
                    if let gavel_game::Action::Move { parent_index, .. } = e.action {
                        println!("{:?}", sim.state().claim(parent_index).map(|c| c.position));
                    }
                    return;
                }
            }
        }
    }
}
