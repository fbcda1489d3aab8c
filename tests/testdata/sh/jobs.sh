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
# kill takes job specs: %N, %% (the last job); a spec of no job is refused
sleep 20 &
sleep 30 &
kill %1
kill -KILL %%
wait
echo "after kill %1 and %%: $(ps | grep -c sleep)"
kill %9 2>&1
echo "kill %9: $?"
