# stop and continue without a terminal: kill -TSTP stops a background job
# (ps shows T), it does not end while stopped, kill -CONT lets it go on
sleep 5 &
sleep 1
kill -TSTP $!
ps | grep sleep | cut -c 19
sleep 10
ps | grep sleep | cut -c 19
kill -CONT $!
wait $!
echo "waited: $?"
echo "still sleeping: $(ps | grep -c sleep)"
