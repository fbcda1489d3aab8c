package fusemount

import (
	"errors"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc/fsproto"
)

// ErrUnsupported is Mount's error on a host without FUSE support here.
var ErrUnsupported = errors.New("mount: FUSE mounts are supported on Linux only")

// Options configure a mount.
type Options struct {
	// ReadOnly refuses every change with EROFS (the file server still
	// replays its journal and counts the mount on the image, as a
	// journaling file system mounted read-only does).
	ReadOnly bool
	// Mode places the file server and the disk driver (default micro).
	Mode boot.Mode
}

// config is the system a mount boots: the disk driver over image and the
// file server, nothing else.
func config(image string, o Options) boot.Config {
	cfg := boot.Default()
	if o.Mode != "" {
		cfg.Mode = o.Mode
	}
	cfg.Servers = []boot.ServerConf{{Name: fsproto.Name}}
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = 0
	cfg.Disk = &boot.DiskConf{Image: image, Kind: "ssd"}
	return cfg
}
