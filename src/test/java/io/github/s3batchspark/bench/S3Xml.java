package io.github.s3batchspark.bench;

import io.github.s3batchspark.bench.ObjectStore.Tag;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The XML bodies S3 sends and receives, for the requests the load server answers. */
final class S3Xml {
  static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
  private static final Pattern TAG = Pattern.compile("<Tag>(.*?)</Tag>", Pattern.DOTALL);
  private static final Pattern PART_NUMBER = Pattern.compile("<PartNumber>\\s*(\\d+)\\s*</PartNumber>");
  private static final Pattern OBJECT_KEY = Pattern.compile("<Object>\\s*<Key>(.*?)</Key>",
      Pattern.DOTALL);
  private static final Pattern ENTITY = Pattern.compile("&(#x?[0-9a-fA-F]+|amp|lt|gt|quot|apos);");
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private S3Xml() {}

  static String error(String code, String message, String resource) {
    return DECLARATION + "<Error><Code>" + code + "</Code><Message>" + escape(message)
        + "</Message><Resource>" + escape(resource) + "</Resource><RequestId>load-s3</RequestId>"
        + "</Error>";
  }

  static String tagging(List<Tag> tags) {
    StringBuilder s = new StringBuilder(DECLARATION).append("<Tagging").append(NS)
        .append("><TagSet>");
    for (Tag t : tags) {
      s.append("<Tag><Key>").append(escape(t.key())).append("</Key><Value>")
          .append(escape(t.value())).append("</Value></Tag>");
    }
    return s.append("</TagSet></Tagging>").toString();
  }

  static List<Tag> parseTags(String body) {
    List<Tag> tags = new ArrayList<>();
    Matcher m = TAG.matcher(body);
    while (m.find()) {
      tags.add(new Tag(element(m.group(1), "Key"), element(m.group(1), "Value")));
    }
    return tags;
  }

  static List<Integer> parsePartNumbers(String body) {
    List<Integer> numbers = new ArrayList<>();
    Matcher m = PART_NUMBER.matcher(body);
    while (m.find()) {
      numbers.add(Integer.parseInt(m.group(1)));
    }
    return numbers;
  }

  static List<String> parseDeleteKeys(String body) {
    List<String> keys = new ArrayList<>();
    Matcher m = OBJECT_KEY.matcher(body);
    while (m.find()) {
      keys.add(unescape(m.group(1)));
    }
    return keys;
  }

  static String copyObjectResult(String etag, long lastModified) {
    return DECLARATION + "<CopyObjectResult" + NS + "><LastModified>" + iso(lastModified)
        + "</LastModified><ETag>" + escape(etag) + "</ETag></CopyObjectResult>";
  }

  static String copyPartResult(String etag, long lastModified) {
    return DECLARATION + "<CopyPartResult" + NS + "><LastModified>" + iso(lastModified)
        + "</LastModified><ETag>" + escape(etag) + "</ETag></CopyPartResult>";
  }

  static String initiateMultipartUpload(String bucket, String key, String uploadId) {
    return DECLARATION + "<InitiateMultipartUploadResult" + NS + "><Bucket>" + escape(bucket)
        + "</Bucket><Key>" + escape(key) + "</Key><UploadId>" + uploadId
        + "</UploadId></InitiateMultipartUploadResult>";
  }

  static String completeMultipartUpload(String bucket, String key, String etag) {
    return DECLARATION + "<CompleteMultipartUploadResult" + NS + "><Location>/" + escape(bucket)
        + "/" + escape(key) + "</Location><Bucket>" + escape(bucket) + "</Bucket><Key>"
        + escape(key) + "</Key><ETag>" + escape(etag) + "</ETag></CompleteMultipartUploadResult>";
  }

  static String deleteResult(List<String> keys) {
    StringBuilder s = new StringBuilder(DECLARATION).append("<DeleteResult").append(NS)
        .append(">");
    keys.forEach(k -> s.append("<Deleted><Key>").append(escape(k)).append("</Key></Deleted>"));
    return s.append("</DeleteResult>").toString();
  }

  static String listBuckets(List<String> names) {
    StringBuilder s = new StringBuilder(DECLARATION).append("<ListAllMyBucketsResult").append(NS)
        .append("><Owner><ID>load-s3</ID></Owner><Buckets>");
    names.forEach(n -> s.append("<Bucket><Name>").append(escape(n))
        .append("</Name><CreationDate>").append(iso(0)).append("</CreationDate></Bucket>"));
    return s.append("</Buckets></ListAllMyBucketsResult>").toString();
  }

  static String iso(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append("&#x").append(Integer.toHexString(c)).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String r = switch (e) {
        case "amp" -> "&";
        case "lt" -> "<";
        case "gt" -> ">";
        case "quot" -> "\"";
        case "apos" -> "'";
        default -> new String(Character.toChars(e.startsWith("#x")
            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1))));
      };
      m.appendReplacement(out, Matcher.quoteReplacement(r));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String element(String xml, String name) {
    int start = xml.indexOf("<" + name + ">");
    int end = xml.indexOf("</" + name + ">");
    if (start < 0 || end < start) {
      return xml.contains("<" + name + "/>") ? "" : null;
    }
    return unescape(xml.substring(start + name.length() + 2, end));
  }
}
