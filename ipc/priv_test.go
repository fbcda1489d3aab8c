package ipc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
)

func TestPrivSubset(t *testing.T) {
	owned := func(n string) bool { return n == "fs" || n == "disk" }
	fs := ipc.Priv{Name: "fs", Calls: ipc.KExits, Register: []string{"fs"}, Services: []string{ipc.AnyName}}
	user := ipc.UserPriv()
	kern := ipc.KernelPriv()
	for _, c := range []struct {
		name          string
		child, parent ipc.Priv
		want          bool
		extra         string
	}{
		{"the kernel gives anything", fs, kern, true, ""},
		{"the same record", fs, fs, true, ""},
		{"a call the parent lacks", ipc.Priv{Calls: ipc.KSpawn}, user, false, "calls spawn"},
		{"an owned name the parent may not register", ipc.Priv{Register: []string{"disk"}}, fs, false, "register disk"},
		{"any name needs any name", ipc.Priv{Register: []string{ipc.AnyName}}, fs, false, "register *"},
		{"owned names need AnyOwned", ipc.Priv{Register: []string{ipc.AnyOwned}}, ipc.Priv{Register: []string{ipc.AnyName}}, false, "register **"},
		{"an unowned name under any name", ipc.Priv{Register: []string{"mine"}}, ipc.Priv{Register: []string{ipc.AnyName}}, true, ""},
		{"an owned name under any name", ipc.Priv{Register: []string{"fs"}}, ipc.Priv{Register: []string{ipc.AnyName}}, false, "register fs"},
		{"a service beyond the parent's", ipc.Priv{Services: []string{"disk"}}, ipc.Priv{Services: []string{"fs"}}, false, "service disk"},
		{"a device beyond the parent's", ipc.Priv{Devices: []string{"disk0"}}, user, false, "device disk0"},
		{"the user's record from pm's", user, ipc.Priv{Calls: ipc.KSpawn | ipc.KKill, Register: []string{"pm"}, Services: []string{ipc.AnyName}}, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, extra := c.child.Subset(&c.parent, owned)
			assert.Equal(t, c.want, ok, "Subset() = %v (%s), want %v", ok, extra, c.want)
			assert.Equal(t, c.extra, extra)
		})
	}
}

func TestPrivChecks(t *testing.T) {
	user := ipc.UserPriv()
	assert.False(t, user.Has(ipc.KSpawn))
	assert.True(t, user.MayCall("fs"))
	assert.False(t, user.MayRegister("mine", false), "programs register nothing")
	assert.False(t, user.MayDevice("disk0"))
	kern := ipc.KernelPriv()
	assert.True(t, kern.Has(ipc.KAll))
	assert.True(t, kern.MayRegister("fs", true))
	fs := ipc.Priv{Register: []string{"fs"}}
	assert.True(t, fs.MayRegister("fs", true))
	assert.False(t, fs.MayRegister("disk", true))
}

func TestKCallNames(t *testing.T) {
	for _, n := range ipc.KCallNames() {
		c, ok := ipc.ParseKCall(n)
		assert.True(t, ok, n)
		assert.Equal(t, n, c.String())
		assert.NotZero(t, ipc.KAll&c, "KAll has %s", n)
	}
	_, ok := ipc.ParseKCall("root")
	assert.False(t, ok)
	assert.Equal(t, "-", ipc.KCall(0).String())
	assert.Equal(t, "spawn,kill", (ipc.KSpawn | ipc.KKill).String())
}
