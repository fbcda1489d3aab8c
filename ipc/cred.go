package ipc

// Cred is a task's credentials: who it acts for. pm sets them (a program
// inherits its parent's; su and login change them through pm), the kernel
// keeps them with the task, where no program can write them, and a server
// reads its caller's with Sys.Cred to decide what the caller may do.
type Cred struct {
	UID uint32
	GID uint32
}

// Root is the super-user's credentials: uid 0, gid 0.
var Root = Cred{}

// IsRoot reports whether c is the super-user's.
func (c Cred) IsRoot() bool { return c.UID == 0 }
