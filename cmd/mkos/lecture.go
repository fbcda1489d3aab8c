package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/lab/course"
)

func newLectureCmd() *cobra.Command {
	var dir string
	var markdown bool
	cmd := &cobra.Command{
		Use:   "lecture [NAME]",
		Short: "Print the code a LECTURE: marker labels, or the index of the markers",
		Long: `The code carries stable labels, "// LECTURE: name", that course notes can
point at. "mkos lecture" lists them (--markdown: as docs/lectures.md);
"mkos lecture NAME" prints the marked code with its comment.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, err := course.Root(dir)
			if err != nil {
				return err
			}
			ms, err := course.Lectures(root)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(args) == 1 {
				found, err := course.FindLecture(ms, args[0])
				if err != nil {
					return err
				}
				for _, m := range found {
					fmt.Fprintf(out, "// %s:%d\n%s\n\n", m.File, m.Line, m.Code)
				}
				return nil
			}
			if markdown {
				fmt.Fprint(out, course.LectureIndex(ms))
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for _, m := range ms {
				fmt.Fprintf(tw, "%s\t%s:%d\n", m.Name, m.File, m.Line)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the mkos tree")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the index as a Markdown table")
	return cmd
}
