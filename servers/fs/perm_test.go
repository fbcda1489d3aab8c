package fs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
)

// The users of the permission tests: root, an ordinary user, another
// ordinary user in the user's group, and a stranger.
var (
	user     = ipc.Cred{UID: 1000, GID: 1000}
	groupie  = ipc.Cred{UID: 1001, GID: 1000}
	stranger = ipc.Cred{UID: 1002, GID: 1002}
)

// permTree makes, as root, the tree the permission tests work in:
//
//	/secret        0700 root    /secret/f 0644 root
//	/pub           0755 root    /pub/f    0644 root, /pub/x 0755 root
//	/home          0755 user    /home/f   0640 user, /home/d 0755 user
//	/tmp           1777 root    /tmp/mine 0644 user, /tmp/dir 0755 user
//	/ro            0444 user (a file)
func permTree(t *testing.T) *fs.FS {
	t.Helper()
	f, err := fs.Mount(newDev(t, 4<<20), fs.Options{})
	require.NoError(t, err)
	mk := func(path string, mode uint32, owner ipc.Cred, dir bool) {
		if dir {
			require.NoError(t, f.Mkdir(path, mode))
		} else {
			fd, err := f.Open(1, path, linux.O_CREAT|linux.O_WRONLY, mode)
			require.NoError(t, err)
			require.NoError(t, f.Close(1, fd))
		}
		require.NoError(t, f.Chmod(path, mode))
		require.NoError(t, f.Chown(path, owner.UID, owner.GID))
	}
	mk("/secret", 0o700, ipc.Root, true)
	mk("/secret/f", 0o644, ipc.Root, false)
	mk("/pub", 0o755, ipc.Root, true)
	mk("/pub/f", 0o644, ipc.Root, false)
	mk("/pub/x", 0o755, ipc.Root, false)
	mk("/home", 0o755, user, true)
	mk("/home/f", 0o640, user, false)
	mk("/home/d", 0o755, user, true)
	mk("/tmp", 0o1777, ipc.Root, true)
	mk("/tmp/mine", 0o644, user, false)
	mk("/tmp/dir", 0o755, user, true)
	mk("/ro", 0o444, user, false)
	return f
}

func TestPermissions(t *testing.T) {
	open := func(path string, flags int) func(f *fs.FS) error {
		return func(f *fs.FS) error {
			fd, err := f.Open(2, path, flags, 0o644)
			if err == nil {
				err = f.Close(2, fd)
			}
			return err
		}
	}
	cases := []struct {
		name string
		as   ipc.Cred
		op   func(f *fs.FS) error
		want error
	}{
		{"read a file in a directory one may not search", user, open("/secret/f", linux.O_RDONLY), linux.EACCES},
		{"root reads it", ipc.Root, open("/secret/f", linux.O_RDONLY), nil},
		{"stat through a directory one may not search", user, func(f *fs.FS) error { _, err := f.Stat("/secret/f"); return err }, linux.EACCES},
		{"list a directory one may not read", user, func(f *fs.FS) error {
			_, _, err := f.ReadDir("/secret", 0, func(fsproto.DirEntry) bool { return true })
			return err
		}, linux.EACCES},
		{"read a world-readable file", user, open("/pub/f", linux.O_RDONLY), nil},
		{"write someone else's 0644 file", user, open("/pub/f", linux.O_WRONLY), linux.EACCES},
		{"truncate someone else's 0644 file", user, func(f *fs.FS) error { return f.Truncate("/pub/f", 0) }, linux.EACCES},
		{"create in someone else's 0755 directory", user, open("/pub/new", linux.O_CREAT|linux.O_WRONLY), linux.EACCES},
		{"create in one's own directory", user, open("/home/new", linux.O_CREAT|linux.O_WRONLY), nil},
		{"write one's own 0444 file", user, open("/ro", linux.O_RDWR), linux.EACCES},
		{"read a 0640 file as its group", groupie, open("/home/f", linux.O_RDONLY), nil},
		{"write a 0640 file as its group", groupie, open("/home/f", linux.O_WRONLY), linux.EACCES},
		{"read a 0640 file as a stranger", stranger, open("/home/f", linux.O_RDONLY), linux.EACCES},
		{"mkdir in someone else's directory", user, func(f *fs.FS) error { return f.Mkdir("/pub/d", 0o755) }, linux.EACCES},
		{"mkdir in one's own directory", user, func(f *fs.FS) error { return f.Mkdir("/home/d2", 0o755) }, nil},
		{"unlink in someone else's directory", user, func(f *fs.FS) error { return f.Unlink("/pub/f") }, linux.EACCES},
		{"rmdir in someone else's directory", stranger, func(f *fs.FS) error { return f.Rmdir("/home/d") }, linux.EACCES},
		{"rename out of someone else's directory", user, func(f *fs.FS) error { return f.Rename("/pub/f", "/home/g") }, linux.EACCES},
		{"rename into someone else's directory", user, func(f *fs.FS) error { return f.Rename("/home/f", "/pub/g") }, linux.EACCES},
		{"rename within one's own directory", user, func(f *fs.FS) error { return f.Rename("/home/f", "/home/g") }, nil},
		{"link into someone else's directory", user, func(f *fs.FS) error { return f.Link("/home/f", "/pub/l") }, linux.EACCES},
		{"symlink in someone else's directory", user, func(f *fs.FS) error { return f.Symlink("/home/f", "/pub/l") }, linux.EACCES},
		{"search (chdir) a 0700 directory", user, func(f *fs.FS) error { return f.Access("/secret", fsproto.AccessX) }, linux.EACCES},
		{"search (chdir) a 0755 directory", user, func(f *fs.FS) error { return f.Access("/pub", fsproto.AccessX) }, nil},
		{"execute a 0644 file", user, func(f *fs.FS) error { return f.Access("/pub/f", fsproto.AccessX) }, linux.EACCES},
		{"execute a 0644 file as root", ipc.Root, func(f *fs.FS) error { return f.Access("/pub/f", fsproto.AccessX) }, linux.EACCES},
		{"execute a 0755 file", user, func(f *fs.FS) error { return f.Access("/pub/x", fsproto.AccessX) }, nil},
		{"chmod someone else's file", user, func(f *fs.FS) error { return f.Chmod("/pub/f", 0o777) }, linux.EPERM},
		{"chmod one's own file", user, func(f *fs.FS) error { return f.Chmod("/home/f", 0o600) }, nil},
		{"chown one's file to someone else", user, func(f *fs.FS) error { return f.Chown("/home/f", 0, fsproto.KeepID) }, linux.EPERM},
		{"chown someone else's file", user, func(f *fs.FS) error { return f.Chown("/pub/f", fsproto.KeepID, user.GID) }, linux.EPERM},
		{"chgrp one's file to one's own group", user, func(f *fs.FS) error { return f.Chown("/home/f", fsproto.KeepID, user.GID) }, nil},
		{"chgrp one's file to another group", user, func(f *fs.FS) error { return f.Chown("/home/f", fsproto.KeepID, 0) }, linux.EPERM},
		{"root gives a file away", ipc.Root, func(f *fs.FS) error { return f.Chown("/pub/f", user.UID, user.GID) }, nil},
		{"remove another's file in sticky /tmp", stranger, func(f *fs.FS) error { return f.Unlink("/tmp/mine") }, linux.EPERM},
		{"rename another's file in sticky /tmp", stranger, func(f *fs.FS) error { return f.Rename("/tmp/mine", "/tmp/his") }, linux.EPERM},
		{"replace another's file in sticky /tmp", stranger, func(f *fs.FS) error {
			if err := open("/tmp/his", linux.O_CREAT|linux.O_WRONLY)(f); err != nil {
				return err
			}
			return f.Rename("/tmp/his", "/tmp/mine")
		}, linux.EPERM},
		{"rmdir another's directory in sticky /tmp", stranger, func(f *fs.FS) error { return f.Rmdir("/tmp/dir") }, linux.EPERM},
		{"remove one's own file in sticky /tmp", user, func(f *fs.FS) error { return f.Unlink("/tmp/mine") }, nil},
		{"root removes anyone's file in sticky /tmp", ipc.Root, func(f *fs.FS) error { return f.Unlink("/tmp/mine") }, nil},
		{"create in sticky /tmp", stranger, open("/tmp/new", linux.O_CREAT|linux.O_WRONLY), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := permTree(t)
			f.As(c.as)
			err := c.op(f)
			if c.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, c.want)
			}
		})
	}
}

func TestCreatedFilesBelongToTheirCreator(t *testing.T) {
	f := permTree(t)
	f.As(user)
	require.NoError(t, f.Mkdir("/tmp/d", 0o750))
	fd, err := f.Open(2, "/tmp/d/f", linux.O_CREAT|linux.O_WRONLY, 0o400)
	require.NoError(t, err, "the creator opens the file whatever its mode")
	require.NoError(t, f.Close(2, fd))
	for _, path := range []string{"/tmp/d", "/tmp/d/f"} {
		a, err := f.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, [2]uint32{user.UID, user.GID}, [2]uint32{a.UID, a.GID}, "Stat(%s) owner", path)
	}
}

// TestCallerComesFromTheKernel boots the file server in each placement
// and has a task running as an ordinary user try what its mode refuses:
// the server reads who the caller is from the kernel, so no word of the
// request can claim root.
func TestCallerComesFromTheKernel(t *testing.T) {
	for _, placement := range placements {
		t.Run(placement, func(t *testing.T) {
			dev := newDev(t, 4<<20)
			f, err := fs.Mount(dev, fs.Options{})
			require.NoError(t, err)
			fd, err := f.Open(1, "/secret", linux.O_CREAT|linux.O_WRONLY, 0o600)
			require.NoError(t, err)
			require.NoError(t, f.Close(1, fd))
			require.NoError(t, f.Sync())
			var got struct{ open, openUID, accessAs, accessOwn, create error }
			b := boot(t, sysConf{placement: placement, dev: dev}, func(sys ipc.Sys) {})
			_, err = b.k.Spawn(ipc.TaskSpec{Name: "user", Cred: &user, Body: func(sys ipc.Sys) {
				c := client(sys)
				_, got.open = c.Open("/secret", linux.O_RDONLY, 0)
				// An open whose spare words say "uid 0": nothing reads them.
				req := ipc.Message{Type: fsproto.Open}
				req.SetWord(2, 0)
				req.SetWord(3, 0)
				req.SetWord(fsproto.PathWord, uint64(len("/secret")))
				_, got.openUID = ipc.Do(sys, c.Dst, &req, &ipc.Extra{Send: []byte("/secret")}, fsproto.Errnos)
				got.accessAs = c.AccessAs("/secret", fsproto.AccessR, ipc.Root)
				got.accessOwn = c.AccessAs("/secret", fsproto.AccessR, user)
				var cfd fsproto.FD
				if cfd, got.create = c.Create("/mine", 0o644); got.create == nil {
					_ = c.Close(cfd)
				}
			}})
			require.NoError(t, err)
			b.run(t)
			assert.ErrorIs(t, got.open, linux.EACCES, "Open(/secret) as a user")
			assert.ErrorIs(t, got.openUID, linux.EACCES, "Open(/secret) claiming uid 0 in the request")
			assert.ErrorIs(t, got.accessAs, linux.EPERM, "AccessAs(root) by a user")
			assert.ErrorIs(t, got.accessOwn, linux.EACCES, "AccessAs(self) by a user")
			assert.ErrorIs(t, got.create, linux.EACCES, "Create(/mine) in root's 0755 /")
		})
	}
}
