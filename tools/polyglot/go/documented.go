package main

import (
	client "example.com/pan123-oss/go"
)

const seedFileID = "rehu6baz03t0l000d7freterfbyq51l4izkneDIYPAIDOBIY0DcxvDwFO"

// documented reads the replies of replies.json that the docs promise through the generated types and getters,
// as a Go team would, and names each value that is not what the reply says. main fails if one of these
// fixtures is missing, so renaming one in replies.json cannot silently skip its check.
var documented = map[string]func(v interface{}) []string{
	"the seed reply (official example)":                                 seed,
	"the seed reply from a newer service, with fields nobody knows yet": seed,
	"a failure: invalid token, data null": func(v interface{}) []string {
		reply := v.(*client.UploadAsyncResultReply)
		if reply.UploadAsyncResultSuccess != nil || reply.ZFailureReply == nil {
			return []string{"a failure"}
		}
		return want(
			reply.ZFailureReply.GetCode() == 401, "code 401",
			reply.ZFailureReply.GetMessage() == "access Token Invalid", "its message",
		)
	},
	"create, instant upload: reuse and fileID only (no preuploadID, no sliceSize)": func(v interface{}) []string {
		ok := v.(*client.CreateUploadReply).CreateUploadSuccess
		if ok == nil {
			return []string{"a success"}
		}
		return want(
			ok.Data.GetReuse() && ok.Data.GetFileID() == seedFileID, "reuse with the fileID",
			!ok.Data.HasPreuploadID() && !ok.Data.HasSliceSize(), "no preuploadID, no sliceSize",
		)
	},
	"upload_complete, merging in the background: no fileID": func(v interface{}) []string {
		ok := v.(*client.UploadCompleteReply).UploadCompleteSuccess
		if ok == nil {
			return []string{"a success"}
		}
		return want(ok.Data.GetAsync() && !ok.Data.GetCompleted() && !ok.Data.HasFileID(), "async, pending, no fileID")
	},
	"get_upload_url without isMultipart": func(v interface{}) []string {
		ok := v.(*client.UploadUrlReply).UploadUrlSuccess
		if ok == nil {
			return []string{"a success"}
		}
		return want(ok.Data.GetPresignedURL() != "" && !ok.Data.HasIsMultipart(), "a URL, no isMultipart")
	},
}

func seed(v interface{}) []string {
	ok := v.(*client.UploadAsyncResultReply).UploadAsyncResultSuccess
	if ok == nil {
		return []string{"a success"}
	}
	return want(ok.GetCode() == 0 && ok.Data.GetCompleted(), "code 0, completed", ok.Data.GetFileID() == seedFileID, "fileID")
}

// want takes pairs (condition, what it checks) and returns what failed.
func want(pairs ...interface{}) []string {
	var failed []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if !pairs[i].(bool) {
			failed = append(failed, pairs[i+1].(string))
		}
	}
	return failed
}
