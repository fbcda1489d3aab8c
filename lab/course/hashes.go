package course

// testFileHashes are the SHA-256 sums of the test files the checks rely on,
// as the grader knows them. Regenerate with `go test ./lab/course -run
// Hashes -rewrite` after changing one of those tests, and review the diff.
var testFileHashes = map[string]string{
	"drivers/disk/driver_test.go":           "b9e311509d01398e80da1f530e325049bed504ffde1a9eab362a692656bb4aec",
	"drivers/disk/sched_driver_test.go":     "4adfc8e46486a917186f3f78df7d896dc7d276a353770e5931b08accce97fbd4",
	"drivers/disk/sched_test.go":            "897af0e622accc2dd4ea112a7f9686e597c538468c0943fabb05351049c4df7c",
	"kernel/mmu_test.go":                    "177095b0b35383501fd15709e44e275d037c6a8d65bffe49c9c9104493acc9d9",
	"kernel/sched_pi_test.go":               "baa41fff0c1f9ae43ff952fe8e766179527fc85badd55278082b7a4e95dfa323",
	"kernel/sched_test.go":                  "5743a9cc904e4914826bc2a6ad861b02d664238d267408fefd79eb3e93b282ae",
	"sched/conformance_test.go":             "68d9a393dba02e306689a18002ec3f4f91c7d2decf67d7a88241a875ad800439",
	"sched/mlfq_test.go":                    "8ae87cc05c0abb560f3ac475c9176f09e13f89420572f6368dc5b2c87b449e8b",
	"servers/ds/restart_test.go":            "2e68b8d77e3e051814fc0b210bbedd74daaa36e2929aa78353372b071cffabd6",
	"servers/echo/hostile_test.go":          "22f1d95ea749fe7f89d10d5bf457dba4a674281e6eb47af6bba3eb1e4a223e96",
	"servers/fs/crash_test.go":              "0d97677759568c26bd13726b3a37a106cf54c7ba603f443ff74490c3f334483d",
	"servers/fs/restart_test.go":            "2884419ab6fbb0ce064a8459e891404e565685c56cb0c2539ba7911ba4b11c8c",
	"servers/mm/policy_conformance_test.go": "08a8fd7ae83dd7d2abb8424b82d216f34f0ce65dabd0afc81ee864e029d49190",
	"servers/mm/policy_test.go":             "02470447f7ce9c58cb830009be898a9af56e731e4bebf2d5c281397f9a9889c3",
	"servers/pm/restart_test.go":            "c8f033eb4298780d7429e6c1a63883b97d567740d517e59c1207183b2efc9a6d",
	"servers/pm/spawn_test.go":              "acf80f5b4bcab5dbfab55d170b26300f35cff8d8238d1c7de80ba5223d67d0ee",
}
