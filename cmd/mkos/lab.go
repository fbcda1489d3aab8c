package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/lab/course"
)

// labFailed is the exit status of a check without full marks.
const labFailed = exitStatus(1)

func newLabCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Graded labs: statements, handouts and a grader (like xv6's make grade)",
		Long: `The labs of a course on mkos, in the order a course meets them.

  mkos lab list                 the labs, with the chapters they pair with
  mkos lab show NAME            a lab's statement
  mkos lab handout NAME DIR     a copy of this repository with the lab's
                                reference code replaced by panic("lab NAME: TODO")
  mkos lab check NAME           grade the tree you are in (or --dir): each check
                                with its own timeout and points; exit 0 only
                                with full marks; --json for course infrastructure

See docs/labs.md and docs/instructors.md.`,
	}
	cmd.AddCommand(newLabListCmd(), newLabShowCmd(), newLabHandoutCmd(), newLabCheckCmd())
	return cmd
}

func newLabListCmd() *cobra.Command {
	return &cobra.Command{
		Use: "list", Short: "List the labs", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "#\tNAME\tTITLE\tOSTEP\tXV6 BOOK")
			for i, l := range course.Labs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", i+1, l.Name, l.Title, l.OSTEP, l.Xv6)
			}
			return tw.Flush()
		},
	}
}

func newLabShowCmd() *cobra.Command {
	return &cobra.Command{
		Use: "show NAME", Short: "Print a lab's statement", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := course.Find(args[0]); err != nil {
				return err
			}
			s, err := course.Statement(args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), s)
			return err
		},
	}
}

func newLabHandoutCmd() *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use: "handout NAME DIR", Short: "Write the lab's starter: this repository with the reference code stubbed", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := course.Find(args[0])
			if err != nil {
				return err
			}
			root, err := course.Root(from)
			if err != nil {
				return err
			}
			if err := course.Handout(root, args[1], l); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "lab %s: handout in %s (statement: %s/LAB.md)\n", l.Name, args[1], args[1])
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", ".", "the mkos tree to copy")
	return cmd
}

func newLabCheckCmd() *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use: "check NAME", Short: "Grade a lab on a tree", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := course.Find(args[0])
			if err != nil {
				return err
			}
			root, err := course.Root(dir)
			if err != nil {
				return err
			}
			g := &course.Grader{Tree: root}
			out := cmd.OutOrStdout()
			if !asJSON {
				fmt.Fprintf(out, "== lab %s: %s (%s)\n", l.Name, l.Title, root)
				g.Progress = out
			}
			r, err := g.Grade(l)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(r); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(out, "Score: %d/%d\n", r.Score, r.Max)
			}
			if r.Score < r.Max {
				return labFailed
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the student's tree")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
