package main

import (
	"fmt"

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
		return want(
			reply.GetCode() == 401, "code 401",
			reply.GetMessage() == "access Token Invalid", "its message",
			!reply.Data.IsSet() || reply.Data.Get() == nil, "no data",
		)
	},
	"create, instant upload: reuse and fileID only (no preuploadID, no sliceSize)": func(v interface{}) []string {
		data := v.(*client.CreateUploadReply).Data.Get()
		if data == nil {
			return []string{"a payload"}
		}
		return want(
			data.GetReuse() && data.GetFileID() == seedFileID, "reuse with the fileID",
			!data.HasPreuploadID() && !data.HasSliceSize(), "no preuploadID, no sliceSize",
		)
	},
	"upload_complete, merging in the background: no fileID": func(v interface{}) []string {
		data := v.(*client.UploadCompleteReply).Data.Get()
		if data == nil {
			return []string{"a payload"}
		}
		return want(data.GetAsync() && !data.GetCompleted() && !data.HasFileID(), "async, pending, no fileID")
	},
	"get_upload_url without isMultipart": func(v interface{}) []string {
		data := v.(*client.UploadUrlReply).Data.Get()
		if data == nil {
			return []string{"a payload"}
		}
		return want(data.GetPresignedURL() != "" && !data.HasIsMultipart(), "a URL, no isMultipart")
	},
	"list_upload_parts with partNumber as a string and as a number": func(v interface{}) []string {
		data := v.(*client.UploadPartsReply).Data.Get()
		if data == nil || len(data.Parts) != 2 {
			return []string{"two parts"}
		}
		return want(partNumber(data.Parts[0]) == "1" && partNumber(data.Parts[1]) == "2", "part numbers 1 and 2")
	},
}

// partNumber reads the anyOf [integer, string] the way a Go team would: whichever pointer the decoder set.
func partNumber(part client.UploadPart) string {
	switch {
	case part.PartNumber.Int32 != nil:
		return fmt.Sprint(*part.PartNumber.Int32)
	case part.PartNumber.String != nil:
		return *part.PartNumber.String
	}
	return ""
}

func seed(v interface{}) []string {
	reply := v.(*client.UploadAsyncResultReply)
	data := reply.Data.Get()
	if data == nil {
		return []string{"a payload"}
	}
	return want(reply.GetCode() == 0 && data.GetCompleted(), "code 0, completed", data.GetFileID() == seedFileID, "fileID")
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
