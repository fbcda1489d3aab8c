# coreutils over files: find, diff, od, touch, tail, stat
mkdir -p /tmp/f/a/b; cd /tmp/f
echo one > a/x.txt; echo two > a/b/y.txt; echo three > z.log
find .
find . -name '*.txt'
find . -type d
find /tmp/f -maxdepth 1
find . -mindepth 2 -type f
printf 'a\nb\nc\nd\n' > old; printf 'a\nB\nc\nd\ne\n' > new
diff old new; echo "diff status $?"
diff old old; echo "same status $?"
diff -q old new
diff -u old new
printf 'x\n' > one; printf '' > none
diff none one
diff one none
printf 'hi\tA\n\001' | od -c
printf 'AB' | od -b
printf 'AB' | od -x
touch t1 t2; ls t1 t2
touch -c nosuch; ls nosuch 2>/dev/null || echo "-c created nothing"
seq 20 > nums; tail -n 3 nums; tail -2 nums
stat -c '%n %s %F %a %A %U:%G %h' nums /tmp/f/a /bin/sh
stat -c '%%%x' nums
df -h | head -n 1
# ls -R lists the directories under each; ls -lh gives sizes a unit; cp -a
# copies a tree
mkdir -p /tmp/r/s/t; echo x > /tmp/r/s/t/u; seq 2000 > /tmp/r/big
ls -R /tmp/r
ls -lh /tmp/r/big
cp -a /tmp/r /tmp/r2; cat /tmp/r2/s/t/u
# ls -l names a symbolic link itself; ls without -l lists where it leads
mkdir /tmp/lm; touch /tmp/lm/x; ln -s /tmp/lm /tmp/ll
ls -l /tmp/ll
ls /tmp/ll
