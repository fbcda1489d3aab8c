package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/sched"
)

// The tables that the CLI, boot files and traces name things by must agree
// with each other: a name that is listed but does not work, or works but is
// not listed, is a bug a user finds first.

func TestEveryKindHasAName(t *testing.T) {
	seen := map[string]kernel.Kind{}
	for k := kernel.EvSend; k <= kernel.LastKind; k++ {
		name := k.String()
		assert.NotEmpty(t, name, "kind %d", k)
		assert.False(t, strings.HasPrefix(name, "kind"), "kind %d has no name: %q", k, name)
		if prev, dup := seen[name]; dup {
			assert.Failf(t, "duplicate kind name", "kinds %d and %d are both %q", prev, k, name)
		}
		seen[name] = k
	}
}

func TestEveryServerHasAHybridPlacement(t *testing.T) {
	cfg := boot.Default()
	cfg.Disk = &boot.DiskConf{}
	for name, mk := range boot.Servers {
		pl, ok := boot.DefaultHybrid[name]
		if assert.True(t, ok, "server %q has no boot.DefaultHybrid entry", name) {
			assert.Contains(t, []string{"kernel", "user"}, pl, "DefaultHybrid[%q]", name)
		}
		assert.NotNil(t, mk(&cfg), "boot.Servers[%q]() = nil", name)
	}
	for name := range boot.DefaultHybrid {
		_, ok := boot.Servers[name]
		assert.True(t, ok, "DefaultHybrid places %q, which is not in boot.Servers", name)
	}
	assert.Equal(t, len(boot.Servers), len(boot.ServerNames()))
}

func TestEveryPolicyConstructs(t *testing.T) {
	require.NotEmpty(t, sched.Policies)
	for _, name := range sched.Names() {
		p, err := sched.New(name, sched.Params{})
		if assert.NoError(t, err, name) && assert.NotNil(t, p, name) {
			assert.Equal(t, name, p.Name(), "sched.New(%q).Name()", name)
			assert.Zero(t, p.Len(), "a new %s policy has queued entities", name)
		}
	}
	assert.Len(t, sched.Names(), len(sched.Policies))
}

func TestEveryProfileIsNamedByItsKey(t *testing.T) {
	for name, p := range kernel.Profiles {
		assert.Equal(t, name, p.Name, "kernel.Profiles[%q].Name", name)
	}
	assert.Contains(t, kernel.Profiles, boot.Default().Profile, "the default profile")
}

// TestEveryModeBoots: every listed mode, policy and profile is accepted by
// the boot check, so the lists the CLI prints in its help are true.
func TestEveryModeBoots(t *testing.T) {
	for _, m := range boot.Modes {
		c := boot.Default()
		c.Mode = m
		assert.NoError(t, c.Check(), "mode %s", m)
	}
	for _, name := range sched.Names() {
		c := boot.Default()
		c.Policy = name
		assert.NoError(t, c.Check(), "policy %s", name)
	}
	for _, name := range kernel.ProfileNames() {
		c := boot.Default()
		c.Profile = name
		assert.NoError(t, c.Check(), "profile %s", name)
	}
}
