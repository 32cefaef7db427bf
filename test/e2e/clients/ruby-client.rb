# Ruby's kubeclient (ruby-kubeclient) against podgate: list, get, and a watch on the
# /api/v1/watch/... paths it uses. Prints one JSON summary for test/e2e/clients.test.ts.
require 'json'
require 'kubeclient'

url, token = ARGV
client = Kubeclient::Client.new(
  "#{url}/api", 'v1',
  auth_options: { bearer_token: token },
  ssl_options: { verify_ssl: OpenSSL::SSL::VERIFY_NONE }
)
out = {}
list = client.get_pods(namespace: 'default', label_selector: 'app=rb')
out['listed'] = list.map { |p| p.metadata.name }
out['got'] = client.get_pod('rb', 'default').spec.containers[0].image
watcher = client.watch_pods(namespace: 'default', resource_version: list.resourceVersion,
                            timeout_seconds: 30)
# The change the watch must see, made once the watch is open (the stream starts at the list).
changer = Thread.new do
  sleep 1
  client.patch_pod('rb', { metadata: { labels: { seen: 'yes' } } }, 'default')
end
watcher.each do |notice|
  out['watched'] = { 'type' => notice.type, 'name' => notice.object.metadata.name,
                     'seen' => notice.object.metadata.labels.seen }
  break
end
watcher.finish
changer.join
puts JSON.generate(out)
