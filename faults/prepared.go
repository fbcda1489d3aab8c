package faults

// Prepared is a campaign whose defaults are filled and whose plan (the
// boot configuration every run shares, the targets) is made: the pieces
// of Run for a caller that spreads the runs itself, as faults/shard does
// over NATS workers. Its runs and its report are those of Run.
type Prepared struct {
	c Campaign
	p *plan
}

// Prepare fills c's defaults, checks it and makes its plan.
func Prepare(c Campaign) (*Prepared, error) {
	if err := c.defaults(); err != nil {
		return nil, err
	}
	p, err := c.plan()
	if err != nil {
		return nil, err
	}
	return &Prepared{c: c, p: p}, nil
}

// Campaign is the campaign with its defaults filled.
func (pc *Prepared) Campaign() Campaign { return pc.c }

// RunOne makes run i (0 ≤ i < Campaign().Runs()), seeded with the
// campaign's seed plus i: a pure function of the campaign and i,
// wherever it runs. The error is for a run that could not be made at all.
func (pc *Prepared) RunOne(i int) (*RunResult, error) { return runOne(&pc.c, pc.p, i) }

// Report adds up the runs, which must be runs 0 to Runs()-1 in order, into
// the report Run would have given.
func (pc *Prepared) Report(runs []*RunResult) *Report { return summarize(&pc.c, pc.p, runs) }
