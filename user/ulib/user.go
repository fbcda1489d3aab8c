package ulib

import (
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
)

// Users: who a process acts for, and the user and group databases.
//
// The kernel keeps a process's credentials (ipc.Cred: uid, gid); the
// library reads them with Sys.Cred and asks pm to change them (Setcred,
// root only). Names live in /etc/passwd and /etc/group, in the classic
// format:
//
//	/etc/passwd   name:password:uid:gid:comment:home:shell
//	/etc/group    name:password:gid:member,member
//
// The password field is not checked: su and login switch only from root
// (see user/coreutils/su.go).

// The user and group databases.
const (
	PasswdFile = "/etc/passwd"
	GroupFile  = "/etc/group"
)

// Cred returns the credentials the process acts with.
func (p *Proc) Cred() (ipc.Cred, error) { return p.Sys.Cred(p.Sys.Self()) }

// Setcred makes the process act as c (pm allows it to root only); the
// children it spawns afterwards inherit c.
func (p *Proc) Setcred(c ipc.Cred) error {
	pm, err := p.client()
	if err != nil {
		return err
	}
	return pm.Setcred(c)
}

// User is one line of /etc/passwd.
type User struct {
	Name       string
	UID, GID   uint32
	Home, Sh   string
	Comment    string
	PasswdHash string // "x" or "*" in mkos: never checked
}

// Group is one line of /etc/group.
type Group struct {
	Name    string
	GID     uint32
	Members []string
}

// Users returns the users of /etc/passwd, in its order; malformed lines
// are skipped.
func (p *Proc) Users() ([]User, error) {
	lines, err := p.dbLines(PasswdFile)
	var out []User
	for _, f := range lines {
		if len(f) < 7 {
			continue
		}
		uid, err1 := strconv.ParseUint(f[2], 10, 32)
		gid, err2 := strconv.ParseUint(f[3], 10, 32)
		if err1 == nil && err2 == nil {
			out = append(out, User{Name: f[0], PasswdHash: f[1], UID: uint32(uid), GID: uint32(gid), Comment: f[4], Home: f[5], Sh: f[6]})
		}
	}
	return out, err
}

// Groups returns the groups of /etc/group, in its order.
func (p *Proc) Groups() ([]Group, error) {
	lines, err := p.dbLines(GroupFile)
	var out []Group
	for _, f := range lines {
		if len(f) < 4 {
			continue
		}
		if gid, err := strconv.ParseUint(f[2], 10, 32); err == nil {
			out = append(out, Group{Name: f[0], GID: uint32(gid), Members: strings.FieldsFunc(f[3], func(r rune) bool { return r == ',' })})
		}
	}
	return out, err
}

// dbLines reads a colon-separated database, without comments and blank
// lines.
func (p *Proc) dbLines(path string) ([][]string, error) {
	b, err := p.ReadFile(path)
	var out [][]string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.Split(line, ":"))
		}
	}
	return out, err
}

// LookupUser finds a user by name, or by number when name is one.
func (p *Proc) LookupUser(name string) (User, bool) {
	users, _ := p.Users()
	n, err := strconv.ParseUint(name, 10, 32)
	for _, u := range users {
		if u.Name == name || err == nil && u.UID == uint32(n) {
			return u, true
		}
	}
	if err == nil {
		return User{Name: name, UID: uint32(n), GID: uint32(n), Home: "/", Sh: "/bin/sh"}, true
	}
	return User{}, false
}

// LookupGroup finds a group by name, or by number when name is one.
func (p *Proc) LookupGroup(name string) (Group, bool) {
	groups, _ := p.Groups()
	n, err := strconv.ParseUint(name, 10, 32)
	for _, g := range groups {
		if g.Name == name || err == nil && g.GID == uint32(n) {
			return g, true
		}
	}
	if err == nil {
		return Group{Name: name, GID: uint32(n)}, true
	}
	return Group{}, false
}

// Names maps uids and gids to names, for listings (ls -l, id, ps): the
// two databases read once.
type Names struct {
	users  map[uint32]string
	groups map[uint32]string
}

// Names reads /etc/passwd and /etc/group into a Names; missing files give
// numbers only.
func (p *Proc) Names() *Names {
	n := &Names{users: map[uint32]string{}, groups: map[uint32]string{}}
	users, _ := p.Users()
	for _, u := range users {
		if _, dup := n.users[u.UID]; !dup {
			n.users[u.UID] = u.Name
		}
	}
	groups, _ := p.Groups()
	for _, g := range groups {
		if _, dup := n.groups[g.GID]; !dup {
			n.groups[g.GID] = g.Name
		}
	}
	return n
}

// User returns uid's name, or the number when it has none.
func (n *Names) User(uid uint32) string { return nameOr(n.users, uid) }

// Group returns gid's name, or the number when it has none.
func (n *Names) Group(gid uint32) string { return nameOr(n.groups, gid) }

// HasUser reports whether uid has a name.
func (n *Names) HasUser(uid uint32) bool { _, ok := n.users[uid]; return ok }

// HasGroup reports whether gid has a name.
func (n *Names) HasGroup(gid uint32) bool { _, ok := n.groups[gid]; return ok }

func nameOr(m map[uint32]string, id uint32) string {
	if s, ok := m[id]; ok {
		return s
	}
	return strconv.FormatUint(uint64(id), 10)
}
