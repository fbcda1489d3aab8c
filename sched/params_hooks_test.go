package sched

import "testing"

// fixedDraw is a TicketDrawer that always draws the same ticket and
// remembers the total it was asked about.
type fixedDraw struct {
	ticket, total int64
}

func (d *fixedDraw) DrawTicket(total int64) int64 {
	d.total = total
	return d.ticket
}

// Params.Draw decides lottery's winner; tickets count in ID order.
func TestLotteryDrawer(t *testing.T) {
	tests := []struct {
		name   string
		ticket int64
		want   int // the ID picked
	}{
		{"the first ticket", 0, 0},
		{"the last ticket of the first task", 9, 0},
		{"the first ticket of the second task", 10, 1},
		{"the last ticket", 59, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &fixedDraw{ticket: tt.ticket}
			p := mustNew(t, "lottery", Params{Draw: d})
			for _, e := range []*Entity{{ID: 2, Tickets: 30}, {ID: 0, Tickets: 10}, {ID: 1, Tickets: 20}} {
				p.Add(e, Created)
			}
			if e := p.Pick(); e == nil || e.ID != tt.want || d.total != 60 {
				t.Errorf("Pick() = %v after drawing ticket %d of %d, want ID %d of 60 tickets", e, tt.ticket, d.total, tt.want)
			}
		})
	}
}

// renamed is a wrapper policy for TestWrap.
type renamed struct{ Policy }

func (r renamed) Name() string { return "wrapped " + r.Policy.Name() }

// Params.Wrap wraps every policy New builds.
func TestWrap(t *testing.T) {
	tests := []struct {
		name string
		wrap func(Policy) Policy
		want string
	}{
		{"no wrapper", nil, "rr"},
		{"a wrapper", func(p Policy) Policy { return renamed{p} }, "wrapped rr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustNew(t, "rr", Params{Wrap: tt.wrap}).Name(); got != tt.want {
				t.Errorf("Name() = %q, want %q", got, tt.want)
			}
		})
	}
}
