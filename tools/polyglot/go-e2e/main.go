// Uploads one file end to end with the Go client generated from openapi.yaml, against `pan123-oss fake`
// (nox -s polyglot copies this into the generated module as cmd/e2e and runs it with the fake's URL and test
// credentials). Token, create, one slice URL and PUT per slice, complete, then upload_async_result polled at
// most once a second, with a deadline, until it names the file; getFileDetail must then report its size.
package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"time"

	pan123 "example.com/pan123-oss/go"
)

const platform = "open_platform"

func main() {
	if len(os.Args) != 4 {
		fail("usage: e2e BASE_URL CLIENT_ID CLIENT_SECRET")
	}
	baseURL, clientID, clientSecret := os.Args[1], os.Args[2], os.Args[3]
	file := bytes.Repeat([]byte("polyglot go "), 450000) // 5.4 MB: two slices of the fake's 4 MiB
	sum := md5.Sum(file)

	// README: Go
	cfg := pan123.NewConfiguration()
	cfg.Servers = pan123.ServerConfigurations{{URL: baseURL}}
	api := pan123.NewAPIClient(cfg)
	ctx := context.Background()
	tokenReply, _, err := api.AuthAPI.GetAccessToken(ctx).Platform(platform).
		AccessTokenBody(*pan123.NewAccessTokenBody(clientID, clientSecret)).Execute()
	check(err)
	token := payload(tokenReply.GetCode(), tokenReply.GetMessage(), tokenReply.Data.Get())
	ctx = context.WithValue(ctx, pan123.ContextAccessToken, token.AccessToken)
	// README: end

	body := pan123.NewNewUploadBody("", "polyglot-go.bin", hex.EncodeToString(sum[:]), int64(len(file)), 1)
	created, _, err := api.OssUploadAPI.CreateUpload(ctx).Platform(platform).NewUploadBody(*body).Execute()
	check(err)
	upload := payload(created.GetCode(), created.GetMessage(), created.Data.Get())
	fileID := upload.GetFileID()
	if !upload.Reuse {
		fileID = sendSlices(ctx, api, upload.GetPreuploadID(), upload.GetSliceSize(), file)
	}
	detail, _, err := api.OssFilesAPI.GetFileDetail(ctx).Platform(platform).FileID(fileID).Execute()
	check(err)
	if got := payload(detail.GetCode(), detail.GetMessage(), detail.Data.Get()).Size; got != int64(len(file)) {
		fail(fmt.Sprintf("getFileDetail says %d bytes, sent %d", got, len(file)))
	}
	fmt.Printf("go e2e: uploaded %d bytes as %s\n", len(file), fileID)
}

// sendSlices PUTs each slice to its presigned URL, completes the upload and waits for its file ID.
func sendSlices(ctx context.Context, api *pan123.APIClient, preuploadID string, sliceSize int64, file []byte) string {
	for n, start := int32(1), int64(0); start < int64(len(file)); n, start = n+1, start+sliceSize {
		end := start + sliceSize
		if end > int64(len(file)) {
			end = int64(len(file))
		}
		url, _, err := api.OssUploadAPI.GetUploadUrl(ctx).Platform(platform).
			UploadUrlBody(*pan123.NewUploadUrlBody(preuploadID, n)).Execute()
		check(err)
		put(payload(url.GetCode(), url.GetMessage(), url.Data.Get()).PresignedURL, file[start:end])
	}
	done, _, err := api.OssUploadAPI.CompleteUpload(ctx).Platform(platform).
		PreuploadBody(*pan123.NewPreuploadBody(preuploadID)).Execute()
	check(err)
	complete := payload(done.GetCode(), done.GetMessage(), done.Data.Get())
	if complete.Completed && complete.GetFileID() != "" {
		return complete.GetFileID()
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second) // the docs allow one poll a second per upload
		reply, _, err := api.OssUploadAPI.UploadAsyncResult(ctx).Platform(platform).
			AsyncResultBody(*pan123.NewAsyncResultBody(preuploadID)).Execute()
		check(err)
		if reply.GetCode() == 20103 { // being verified: ask again
			continue
		}
		result := payload(reply.GetCode(), reply.GetMessage(), reply.Data.Get())
		if result.Completed {
			return result.GetFileID()
		}
	}
	fail("the upload did not complete within 60 s")
	return ""
}

func put(url string, slice []byte) {
	req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(slice))
	check(err)
	resp, err := http.DefaultClient.Do(req)
	check(err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fail(fmt.Sprintf("slice PUT: HTTP %d", resp.StatusCode))
	}
}

// payload is a reply's data when its code is 0; any other code ends the program with the reply's message.
func payload[T any](code int32, message string, data *T) *T {
	if code != 0 || data == nil {
		fail(fmt.Sprintf("code %d: %s", code, message))
	}
	return data
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(why string) {
	fmt.Fprintln(os.Stderr, "go e2e: FAIL:", why)
	os.Exit(1)
}
