use gavel_game::Strategy;
use gavel_game::sim::{SimParams, Simulation};
use std::collections::BTreeMap;
fn main() {
    for s in Strategy::ALL {
        let mut claims = 0;
        let mut steps = 0;
        let mut rej: BTreeMap<String, u64> = BTreeMap::new();
        let mut deep = 0;
        let n = 40;
        for seed in 0..n {
            let len = 1 + (seed * 97) % 1024;
            let params = SimParams::toy(
                seed,
                len,
                seed % 2 == 0,
                (seed * 31) % len.min(1023),
                vec![s.clone()],
            );
            let mut sim = Simulation::new(&params).unwrap();
            let r = sim.run().unwrap();
            assert!(r.violations().is_empty());
            claims += r.claims;
            steps += r.steps;
            if sim
                .state()
                .claims()
                .iter()
                .any(|c| c.position.depth() == 10)
            {
                deep += 1;
            }
            for (k, v) in r.rejected {
                *rej.entry(k).or_default() += v;
            }
        }
        println!(
            "{:<20} claims/game {:>6.1} steps {:>3} deep {:>2}/{n} rejected {:?}",
            s.to_string(),
            claims as f64 / n as f64,
            steps,
            deep,
            rej
        );
    }
}
